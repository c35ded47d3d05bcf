// Placeholder translation unit until the contract sources land; removed by then.
