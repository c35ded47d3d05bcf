MSCK REPAIR TABLE ${database}.sweep_effective_parameters;
