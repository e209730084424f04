#!/bin/sh
# Installs the chatwork-notify binary of a release: downloads the asset for
# this OS and CPU, checks its SHA-256, and puts it in a directory of yours
# (no sudo). Linux, macOS, and Windows under Git Bash or MSYS2.
#
#   curl -fsSLO https://raw.githubusercontent.com/chatwork-notify/chatwork-notify/main/install.sh
#   sh install.sh            # the latest release
#   sh install.sh v1.2.3     # a given release
#
# Download it first, then run it: piped into sh, a download that fails
# leaves sh nothing to run, and the pipe still exits 0.
#
# Settings (environment):
#   CHATWORK_NOTIFY_VERSION       release tag (or the first argument); default: the latest release
#   CHATWORK_NOTIFY_BINDIR        where to install; default: $HOME/.local/bin
#   CHATWORK_NOTIFY_CHECKSUMS     a checksums.txt to trust instead of the release's own copy
#                                 (the composite action passes the one committed in the release)
#   CHATWORK_NOTIFY_DOWNLOAD_URL  where the assets are; default: the GitHub release of the version
#   CHATWORK_NOTIFY_TOOL_CACHE    a runner's tool cache: install into
#                                 <cache>/chatwork-notify/<version>/<arch> and reuse it there
#   CHATWORK_NOTIFY_OS, _ARCH     override the detected OS and CPU (uname words or runner.os/runner.arch)
# With GITHUB_OUTPUT set, the installed path is written as the step output "path".
set -eu

repo=chatwork-notify/chatwork-notify
name=chatwork-notify

fail() {
	echo "install.sh: $*" >&2
	exit 1
}

# os_word and arch_word map uname's and the runner's words to Go's.
os_word() {
	case $1 in
	Linux | linux) echo linux ;;
	Darwin | darwin | macOS) echo darwin ;;
	Windows | windows | MINGW* | MSYS* | CYGWIN*) echo windows ;;
	*) fail "no release binary for the operating system $1 (linux, darwin and windows have one)" ;;
	esac
}
arch_word() {
	case $1 in
	x86_64 | amd64 | X64) echo amd64 ;;
	aarch64 | arm64 | ARM64) echo arm64 ;;
	*) fail "no release binary for the CPU $1 (amd64 and arm64 have one)" ;;
	esac
}

# fetch URL FILE downloads over HTTPS (or from a file: URL), refusing a
# redirect to plain HTTP; a failure says once what failed and what to do.
fetch() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --retry 3 --proto '=https,file' --proto-redir '=https' -o "$2" "$1" 2>"$tmp/fetch.err" ||
			download_failed "$1" "$(tail -n 1 "$tmp/fetch.err")"
	elif command -v wget >/dev/null 2>&1; then
		case $1 in https://*) ;; *) fail "wget can only fetch https:// URLs; install curl" ;; esac
		wget -q -O "$2" "$1" 2>"$tmp/fetch.err" || download_failed "$1" "wget: $(tail -n 1 "$tmp/fetch.err")"
	else
		fail "needs curl or wget"
	fi
}

download_failed() {
	fail "could not download $1 (${2:-no answer}). Nothing was installed. What to check:
  - the version: ${version:-the latest release} must be one of https://github.com/$repo/releases
    (pass it as the first argument, e.g. sh install.sh v1.2.3, or in CHATWORK_NOTIFY_VERSION);
  - a proxy: set HTTPS_PROXY (curl and wget read it);
  - no access to github.com: copy the release's assets (the binary and checksums.txt) to a mirror
    and set CHATWORK_NOTIFY_DOWNLOAD_URL to the directory that holds them."
}

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d' ' -f1
	else
		fail "needs sha256sum or shasum to verify the download"
	fi
}

os=$(os_word "${CHATWORK_NOTIFY_OS:-$(uname -s)}")
arch=$(arch_word "${CHATWORK_NOTIFY_ARCH:-$(uname -m)}")
ext=
if [ "$os" = windows ]; then ext=.exe; fi

version=${1:-${CHATWORK_NOTIFY_VERSION:-}}
checksums=${CHATWORK_NOTIFY_CHECKSUMS:-}
if [ -z "$version" ] && [ -n "$checksums" ]; then
	# The asset names in a committed checksums.txt carry the version.
	[ -r "$checksums" ] || fail "$checksums is missing: this commit is not a release; use a release tag (@v1) or a release's commit"
	version=$(sed -n "s/^[0-9a-f]\{64\}  ${name}_\(v[^_]*\)_${os}_${arch}${ext}\$/\1/p" "$checksums" | head -n 1)
	[ -n "$version" ] || fail "$checksums lists no ${os}/${arch} binary"
fi
tmp=$(mktemp -d 2>/dev/null || mktemp -d -t chatwork-notify)
trap 'rm -rf "$tmp"' EXIT INT TERM
if [ -z "$version" ]; then
	command -v curl >/dev/null 2>&1 || fail "give the version (install.sh v1.2.3) or install curl"
	latest=$(curl -fsSLI --proto '=https' -o /dev/null -w '%{url_effective}' "https://github.com/$repo/releases/latest" 2>"$tmp/fetch.err") ||
		download_failed "https://github.com/$repo/releases/latest" "$(tail -n 1 "$tmp/fetch.err")"
	version=${latest##*/}
fi
case $version in
*[!A-Za-z0-9.-]*) fail "\"$version\" is not a release version like v1.2.3" ;;
v[0-9]*.[0-9]*.[0-9]*) ;;
*) fail "\"$version\" is not a release version like v1.2.3" ;;
esac

asset="${name}_${version}_${os}_${arch}${ext}"
base=${CHATWORK_NOTIFY_DOWNLOAD_URL:-https://github.com/$repo/releases/download/$version}

if [ -z "$checksums" ]; then
	checksums="$tmp/checksums.txt"
	fetch "$base/checksums.txt" "$checksums"
fi
want=$(awk -v a="$asset" '$2 == a { print $1; exit }' "$checksums")
case $want in
[0-9a-f]*) [ ${#want} -eq 64 ] || fail "bad checksum line for $asset in $checksums" ;;
*) fail "$asset is not listed in $checksums" ;;
esac

if [ -n "${CHATWORK_NOTIFY_TOOL_CACHE:-}" ] && [ -z "${CHATWORK_NOTIFY_BINDIR:-}" ]; then
	bindir="$CHATWORK_NOTIFY_TOOL_CACHE/$name/${version#v}/$arch"
else
	bindir=${CHATWORK_NOTIFY_BINDIR:-$HOME/.local/bin}
fi
bin="$bindir/$name$ext"

if [ -f "$bin" ] && [ "$(sha256 "$bin")" = "$want" ]; then
	echo "$name $version is already installed at $bin (checksum verified)" >&2
else
	fetch "$base/$asset" "$tmp/$asset"
	got=$(sha256 "$tmp/$asset")
	[ "$got" = "$want" ] || fail "checksum mismatch for $asset: got $got, want $want; nothing was installed"
	mkdir -p "$bindir"
	chmod 755 "$tmp/$asset"
	mv -f "$tmp/$asset" "$bin"
	if [ -n "${CHATWORK_NOTIFY_TOOL_CACHE:-}" ]; then : >"$bindir.complete"; fi
	echo "installed $name $version at $bin (checksum verified)" >&2
	case ":${PATH}:" in
	*":$bindir:"*) ;;
	*) echo "add $bindir to PATH to run $name by name" >&2 ;;
	esac
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
	echo "path=$bin" >>"$GITHUB_OUTPUT"
fi
