# The two commands a newcomer needs (see README.md):
#   make run   - build and start the node with embedded defaults (dev key, SQLite in ./.zkvm-node)
#   make test  - build and run every test (Swift, and the dev chain's Python tests)
.PHONY: run test bootstrap guests

bootstrap:
	./scripts/bootstrap.sh

run: bootstrap
	swift run -c release coprocessor-node --dev --db-dir .zkvm-node

test:
	./scripts/bootstrap.sh --test-peers
	swift test
	.venv/bin/python3 -m unittest discover -s devchain

guests:
	$(MAKE) -C guest-programs

bench: ; ./scripts/bench.sh $(ARGS)
