MSCK REPAIR TABLE ${database}.sweep_shard_metrics_per_shard_raw;
