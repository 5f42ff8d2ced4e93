// The functions of an ELF's symbol table, for reports of where a guest was (function+offset).
// Read with libelf, which checks the table's bounds; any malformed part reads as no symbols.

#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "zkvm_core.h"

/// Whether a symbol names code: a function, or a label (such as `_start`) in an executable
/// section; never the RISC-V mapping symbols ($x, $d) or assembler-local labels (.L...).
static bool is_code(Elf *e, const GElf_Sym *sym, const char *name) {
    if (!name || !name[0] || name[0] == '$' || strncmp(name, ".L", 2) == 0) return false;
    const int type = GELF_ST_TYPE(sym->st_info);
    if (type == STT_FUNC) return true;
    if (type != STT_NOTYPE || sym->st_shndx == SHN_UNDEF || sym->st_shndx >= SHN_LORESERVE) return false;
    GElf_Shdr sh;
    Elf_Scn *scn = elf_getscn(e, sym->st_shndx);
    return scn && gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_EXECINSTR);
}

typedef struct {
    uint64_t address, size;
    size_t name_at;
    int rank;  ///< which of several symbols at one address names it: global function > function > label
} entry;

static int by_address_then_rank(const void *a, const void *b) {
    const entry *x = a, *y = b;
    if (x->address != y->address) return x->address < y->address ? -1 : 1;
    return y->rank - x->rank;
}

int zkvm_symbols_read(const uint8_t *elf, size_t len, zkvm_symbol_table *out) {
    memset(out, 0, sizeof *out);
    if (len < 4 || memcmp(elf, ELFMAG, SELFMAG) != 0 || elf_version(EV_CURRENT) == EV_NONE) return 0;
    Elf *e = elf_memory((char *)elf, len);
    if (!e) return 0;
    entry *entries = NULL;
    char *names = NULL;
    size_t count = 0, cap = 0, names_len = 0, names_cap = 0;
    int status = 0;
    for (Elf_Scn *scn = elf_nextscn(e, NULL); scn; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize) continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        if (!data) continue;
        for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym)) break;
            const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
            if (!is_code(e, &sym, name)) continue;
            size_t n = strlen(name) + 1;
            if (count == cap) {
                cap = cap ? 2 * cap : 256;
                entry *grown = realloc(entries, cap * sizeof *entries);
                if (!grown) goto oom;
                entries = grown;
            }
            if (names_len + n > names_cap) {
                names_cap = (names_len + n) * 2;
                char *grown = realloc(names, names_cap);
                if (!grown) goto oom;
                names = grown;
            }
            memcpy(names + names_len, name, n);
            int type = GELF_ST_TYPE(sym.st_info), bind = GELF_ST_BIND(sym.st_info);
            entries[count++] = (entry){sym.st_value, sym.st_size, names_len,
                                       (type == STT_FUNC ? 2 : 0) + (bind == STB_GLOBAL ? 1 : 0)};
            names_len += n;
        }
        break;  // the first symbol table, as linkers write one
    }
    if (count) {
        qsort(entries, count, sizeof *entries, by_address_then_rank);
        if (!(out->symbols = calloc(count, sizeof *out->symbols))) goto oom;
        for (size_t i = 0; i < count; i++) {
            if (out->count && out->symbols[out->count - 1].address == entries[i].address) continue;
            out->symbols[out->count++] = (zkvm_symbol){entries[i].address, entries[i].size,
                                                       (const char *)(uintptr_t)entries[i].name_at};
        }
        for (size_t i = 0; i < out->count; i++) out->symbols[i].name = names + (uintptr_t)out->symbols[i].name;
        out->names = names;
        names = NULL;
    }
    goto done;
oom:
    status = -1;
    free(out->symbols);
    memset(out, 0, sizeof *out);
done:
    free(entries);
    free(names);
    elf_end(e);
    return status;
}

void zkvm_symbols_free(zkvm_symbol_table *table) {
    free(table->symbols);
    free(table->names);
    memset(table, 0, sizeof *table);
}
