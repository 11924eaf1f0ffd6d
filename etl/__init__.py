"""ETL: extract every OA module into Arrow, load into DuckDB, transform with SQL, check, publish."""
