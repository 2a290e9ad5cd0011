"""The default Jinja templates of send-plan, shipped inside the package."""
