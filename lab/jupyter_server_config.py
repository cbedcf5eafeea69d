# Loaded by `make lab` (lab/ is its config dir) and by the tests: notebooks are saved in their committed form, so
# saving never dirties git (helpers.builder.labhook).
from helpers.builder.labhook import contents_manager_class

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)
c.ServerApp.contents_manager_class = contents_manager_class()
# Kernels talk to the server over Unix sockets, as the build's do: ipykernel warns that a kernel on TCP sends code and
# outputs unencrypted, and nothing here needs a network port.
c.KernelManager.transport = "ipc"
