#ifndef CLIBELF_SHIM_H
#define CLIBELF_SHIM_H
// elfutils' libelf (Debian libelf-dev, pkg-config libelf): the engine's ELF loader.
#include <gelf.h>
#include <libelf.h>
#endif
