# briefmap — two commands: `make run` and `make test`. Both create .venv and install first.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8501
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# Debian packages the tests need: a browser, Arabic-capable fonts, strace (server egress test),
# poppler-utils (pdftoppm: PDFs rasterised and compared with the PNGs of the same pages),
# PostgreSQL with PostGIS and nginx (the team tests start their own, as an unprivileged user),
# LemonLDAP::NG's portal as the OIDC provider the sign-in tests start (layers/team/oidc.py),
# served by Plack's plackup, its users in SQLite (DBD::SQLite), signing keys made by openssl;
# with --no-install-recommends the portal also needs three of its Recommends: the captcha
# module it always loads (GD::SecurityImage with Image::Magick) and IO::String (OIDC issuer),
# and String::Random, which its OIDC issuer uses but does not declare.
SYSTEM_PACKAGES := chromium fonts-noto-core strace poppler-utils postgresql-15 postgresql-15-postgis-3 nginx \
	liblemonldap-ng-portal-perl libplack-perl libdbd-sqlite3-perl openssl \
	libgd-securityimage-perl libimage-magick-perl libio-string-perl libstring-random-perl

.PHONY: run test install install-test system-deps lint bench screenshot basemap clean oidc-provider \
	team team-down team-status

run: $(VENV)/.installed
	$(VENV)/bin/briefmap serve --port $(PORT)

test: $(VENV)/.installed-test system-deps
	$(VENV)/bin/pytest

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/.venv-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "briefmap needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	@touch $@

$(VENV)/.installed: $(VENV)/.venv-ok pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	@touch $@

# Installs what is missing when run as root (CI, fresh Debian machines); otherwise says what to
# install. The browser tests never skip: without chromium they fail and say why.
system-deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing (run: sudo apt-get install$$missing)"; \
	  fi; \
	fi

# ruff's findings and unformatted files fail the build (.ci/run runs this before the tests).
LINTED := layers dashboard tests bench scripts
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

# Imported incidents at scale; `make bench EVENT_SIZES=10k,100k` for a quicker run.
EVENT_SIZES ?= 10k,100k,300k,1m
bench: $(VENV)/.installed-test system-deps
	$(PY) bench/boundary.py
	$(PY) bench/rerun.py
	$(PY) bench/first_paint.py
	$(PY) bench/snapshot.py
	$(PY) bench/events.py --sizes $(EVENT_SIZES)

# Rebuild geodata/basemap/basemap.pmtiles from the shipped inputs (committed; reproducible).
basemap: $(VENV)/.installed-test
	$(PY) -m layers.tiles

screenshot: $(VENV)/.installed-test system-deps
	$(PY) scripts/screenshot.py

# briefmap's own OIDC provider (LemonLDAP::NG on loopback) until Ctrl-C: prints this run's test
# users and writes the [auth] secrets st.login needs, e.g.
# `make oidc-provider OIDC_SECRETS=/tmp/app/.streamlit/secrets.toml`.
APP_URL ?= http://127.0.0.1:$(PORT)
OIDC_SECRETS ?=
oidc-provider: $(VENV)/.installed system-deps
	$(PY) -m layers.team.oidc_demo --app-url $(APP_URL) $(if $(OIDC_SECRETS),--secrets $(OIDC_SECRETS))

# briefmap for a team on this machine (loopback): PostgreSQL, the OIDC provider with its test
# users, TEAM_SERVERS app servers and nginx in front on TEAM_PORT; everything in TEAM_FOLDER.
# Returns once all answer, printing the address and this run's test users; `make team-down`
# stops them. As root, PostgreSQL, the portal and nginx run as `nobody`.
TEAM_FOLDER ?= .briefmap-team
TEAM_PORT ?= 8500
TEAM_SERVERS ?= 2
TEAM := $(VENV)/bin/briefmap team --folder $(TEAM_FOLDER)
team: $(VENV)/.installed system-deps
	$(TEAM) up --port $(TEAM_PORT) --servers $(TEAM_SERVERS)

team-down: $(VENV)/.installed
	$(TEAM) down

team-status: $(VENV)/.installed
	$(TEAM) status

clean:
	rm -rf $(VENV) dashboard/static .pytest_cache
