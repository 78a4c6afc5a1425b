"""Only what pyproject.toml cannot say: setuptools' automatic discovery cannot find a package
that lives in another folder, so the code's packages are discovered here and resources/ (icons,
desktop file, translations) is added as the package tray_app.resources."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["tray_app", "tray_app.*"]), "tray_app.resources"],
    package_dir={"tray_app.resources": "resources"},
)
