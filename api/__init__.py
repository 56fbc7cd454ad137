"""The regional placement platform: adapters (command line, HTTP, storage) around `scheduler`."""
