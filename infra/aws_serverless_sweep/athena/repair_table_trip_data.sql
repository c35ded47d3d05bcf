MSCK REPAIR TABLE ${database}.sweep_trip_data;
