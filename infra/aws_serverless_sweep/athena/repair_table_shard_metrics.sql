MSCK REPAIR TABLE ${database}.sweep_shard_metrics;
