"""The kernel a report runs on: this very interpreter, so nothing needs registering.

Imported only when a run executes (jupyter_client is not needed to find that every report is up
to date).
"""

from __future__ import annotations

import sys

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager


class InterpreterKernelManager(AsyncKernelManager):
    """A kernel on this very interpreter: no kernelspec to find, whatever the environment.

    Kernel logging stays at CRITICAL: jupyter_client interrupts a kernel before shutting it down,
    which ipykernel would log as "KeyboardInterrupt caught in kernel" on every normal run; cell
    errors reach the report runner through the executed notebook, not through this log.
    """

    @property
    def kernel_spec(self) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                  "--IPKernelApp.log_level=CRITICAL"],
            display_name="Python (research-kit)", language="python",
        )
