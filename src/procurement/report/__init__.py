"""Report notebooks' helpers and the runner: parameters, papermill, HTML, Excel, labels in bokmål and English."""
