"""Reading content files into models, with every problem located at its file, line and field."""
