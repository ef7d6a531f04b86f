"""The reader's widgets: result list, abstract viewer, status line, safe text boxes."""
