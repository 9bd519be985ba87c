"""Build hook for the optional compiled tree (``native/``, Python module ``surety_native``).

Everything else is declared in pyproject.toml. ``optional=True``: without a Rust toolchain the package still
installs and the store uses the Python tree (``suretychain.core.tree``).
"""
from setuptools import setup
from setuptools_rust import Binding, RustExtension

setup(
    rust_extensions=[
        RustExtension(
            "surety_native",
            path="native/Cargo.toml",
            binding=Binding.PyO3,
            optional=True,
            debug=False,
            args=["--locked"],
        )
    ],
)
