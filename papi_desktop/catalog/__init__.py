"""Reference data shipped with the app (JSON under ``data/``) and its loaders."""
