# The commands a newcomer needs (see README.md):
#   make run   - build and start the node with embedded defaults (dev key, SQLite in ./.zkvm-node)
#   make devnet - the dev chain with the JobManager, and the node relaying to it (scripts/devnet.sh)
#   make test  - build and run every test (Swift, and the dev chain's Python tests)
.PHONY: run test bootstrap guests docs jit-fuzz fuzz bench devnet

bootstrap:
	./scripts/bootstrap.sh

run: bootstrap
	swift run -c release coprocessor-node --dev --db-dir .zkvm-node

# The two out-of-tree package tests (EngineConsumerTests, ClientConsumerTests) build those packages
# from scratch (minutes of CPU): they run after the others, so timing-bound tests never share the
# machine with them. The first run has a throwaway PostgreSQL server (scripts/with-postgres.sh)
# for the PostgreSQL store's tests.
test:
	./scripts/bootstrap.sh --test-peers
	./scripts/with-postgres.sh swift test --skip ConsumerTests
	swift test --skip-build --filter ConsumerTests
	.venv/bin/python3 -m unittest discover -s devchain
	./scripts/docs.sh

# DocC documentation of the ZKVM module into .build/docs (warnings are errors; part of `make test`).
docs: ; ./scripts/docs.sh

guests:
	$(MAKE) -C guest-programs

bench: ; ./scripts/bench.sh $(ARGS)

# The JIT against the interpreter on 10^6 random programs (about 5 minutes; scripts/jit-fuzz.sh).
jit-fuzz: ; ./scripts/jit-fuzz.sh $(or $(PROGRAMS),1000000) $(or $(SEED),1)

# libFuzzer targets of fuzz/ (ELF loaders, both tiers on random code, syscalls with hostile
# arguments; the JSON reader and the ABI decoder), each for FUZZ_SECONDS (default 60; scripts/fuzz.sh).
fuzz: ; ./scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)

# The dev chain with the JobManager deployed and the node relaying to it (scripts/devnet.sh):
# follow the README's quick start and jobs reach RELAYED. ARGS=--smoke runs the quick start itself.
devnet: ; ./scripts/devnet.sh $(ARGS)
