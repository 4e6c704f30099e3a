"""Pages: validated stories resolved into view models and rendered through the templates."""
