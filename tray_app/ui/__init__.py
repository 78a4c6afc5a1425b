"""The Qt layer: renders the session state and forwards clicks. Only this package may import Qt."""
