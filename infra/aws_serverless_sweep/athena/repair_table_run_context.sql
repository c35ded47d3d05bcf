MSCK REPAIR TABLE ${database}.sweep_run_context;
