MSCK REPAIR TABLE ${database}.sweep_trip_data_per_shard_raw;
