# Sourced by the scripts that build the C core outside SwiftPM (jit-fuzz.sh, fuzz.sh,
# interp-bench/build.sh): one place for its include paths and its cached object build.
#
#   core_includes SRC                      sets CORE_INC: the -I flags of the core under SRC
#   core_objects SRC OBJDIR SKIP CC CFLAGS...
#       compiles every .c of SRC/CSources/CZKVM and CKeccak except the one named SKIP ("" for
#       none) into OBJDIR, in parallel, each only when its object is missing or older than the
#       source or the newest header; sets CORE_OBJS to the objects. Fails if a compile fails.

core_includes() {
    CORE_INC=(-I"$1/CSources/CZKVM" -I"$1/CSources/CZKVM/include" -I"$1/CSources/CKeccak/include" -I"$1/CSources")
}

core_objects() {
    local src="$1" obj="$2" skip="$3" cc="$4"
    shift 4
    mkdir -p "$obj"
    local newest_h c o pids=()
    newest_h=$(find "$src/CSources/CZKVM" "$src/CSources/CKeccak" -name '*.h' -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2)
    CORE_OBJS=()
    for c in $(cd "$src/CSources" && find CZKVM CKeccak -name '*.c' | sort); do
        [ -n "$skip" ] && [ "$(basename "$c")" = "$skip" ] && continue
        o="$obj/$(echo "$c" | tr / _).o"
        if [ ! -f "$o" ] || [ "$src/CSources/$c" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
            "$cc" "$@" -c "$src/CSources/$c" -o "$o" &
            pids+=($!)
        fi
        CORE_OBJS+=("$o")
    done
    local pid status=0
    for pid in "${pids[@]}"; do wait "$pid" || status=1; done
    return $status
}
