MSCK REPAIR TABLE ${database}.sweep_effective_parameters_per_shard_raw;
