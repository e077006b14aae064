"""What every layer may use: user-facing errors, paths, labels, ports, text and size limits."""
