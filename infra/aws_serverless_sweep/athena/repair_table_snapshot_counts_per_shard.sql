MSCK REPAIR TABLE ${database}.sweep_snapshot_counts_per_shard_raw;
