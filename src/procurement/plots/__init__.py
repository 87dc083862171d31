"""Every figure the workbench draws (seaborn on matplotlib); domain modules compute, this package draws."""
