"""The ttkbootstrap window. The only layer that imports tkinter."""
