"""The Qt user interface: windows, item models, widgets, dialogs and undo commands (the only Qt code)."""
