MSCK REPAIR TABLE ${database}.sweep_snapshot_counts;
