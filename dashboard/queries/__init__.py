"""Read queries of the dashboard: dashboard/queries/<module>.py, one function per question."""
