"""Write a private configuration folder for an embedded Janus (``janus -F DIR``).

Everything listens on 127.0.0.1, the API needs the API secret, plugins that
Plenary does not use are off, and the plugins' ``admin_key`` protects room and
mountpoint creation and RTP forwarding.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LIBRARY_DIR = Path("/usr/lib/x86_64-linux-gnu/janus")

# Everything but AudioBridge and Streaming (and VideoRoom, kept for speaker video).
_DISABLED_PLUGINS = ",".join(
    f"libjanus_{name}.so"
    for name in (
        "duktape",
        "lua",
        "voicemail",
        "recordplay",
        "nosip",
        "textroom",
        "videocall",
        "echotest",
        "sip",
    )
)
_DISABLED_TRANSPORTS = ",".join(
    f"libjanus_{name}.so" for name in ("http", "mqtt", "nanomsg", "rabbitmq", "pfunix")
)


@dataclass(frozen=True)
class JanusConfig:
    ws_port: int
    api_secret: str
    admin_key: str
    rtp_port_range: str = "20000-40000"
    # Interfaces ICE may use (``ice_enforce_list``); empty means all but loopback.
    ice_interfaces: str = ""
    event_loops: int = 2
    debug_level: int = 3
    # Libraries Janus loads before the system's (a libsrtp2 built on OpenSSL;
    # see ``janus_srtp`` in scripts/lib.sh); ignored where the folder is missing.
    library_dir: str = ""
    # The address the WebSocket API listens on: loopback for the embedded Janus, a
    # private address for a media host of a scale-out.
    ws_ip: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.ws_port}/"

    @property
    def built_srtp(self) -> Path | None:
        """The libsrtp2 built on OpenSSL in ``library_dir``, if it is there."""
        library = Path(self.library_dir, "libsrtp2.so.1")
        return library if self.library_dir and library.is_file() else None


def _quote(value: str) -> str:
    if '"' in value or "\\" in value or "\n" in value:
        raise ValueError("Janus configuration values may not contain quotes or backslashes")
    return f'"{value}"'


def render(config: JanusConfig, folder: Path) -> dict[str, str]:
    """The files of the configuration folder, by name."""
    nat = (
        f"    ice_enforce_list = {_quote(config.ice_interfaces)}\n" if config.ice_interfaces else ""
    )
    plugin = f"general: {{\n    admin_key = {_quote(config.admin_key)}\n{{extra}}}}\n"
    return {
        "janus.jcfg": (
            "general: {\n"
            f"    configs_folder = {_quote(str(folder))}\n"
            f'    plugins_folder = "{LIBRARY_DIR}/plugins"\n'
            f'    transports_folder = "{LIBRARY_DIR}/transports"\n'
            f'    events_folder = "{LIBRARY_DIR}/events"\n'
            f'    loggers_folder = "{LIBRARY_DIR}/loggers"\n'
            f"    debug_level = {int(config.debug_level)}\n"
            '    server_name = "plenary-janus"\n'
            "    session_timeout = 60\n"
            f"    event_loops = {int(config.event_loops)}\n"
            f"    api_secret = {_quote(config.api_secret)}\n"
            "    token_auth = false\n"
            '    protected_folders = ["/bin", "/boot", "/dev", "/etc", "/lib", "/proc",'
            ' "/sbin", "/sys", "/usr", "/var"]\n'
            "}\n"
            "certificates: {}\n"
            "media: {\n"
            f"    rtp_port_range = {_quote(config.rtp_port_range)}\n"
            "    ipv6 = false\n"
            "}\n"
            "nat: {\n"
            f"{nat}"
            "    ignore_mdns = true\n"
            "}\n"
            f"plugins: {{ disable = {_quote(_DISABLED_PLUGINS)} }}\n"
            f"transports: {{ disable = {_quote(_DISABLED_TRANSPORTS)} }}\n"
            'loggers: { disable = "libjanus_jsonlog.so" }\n'
            "events: {}\n"
        ),
        "janus.transport.websockets.jcfg": (
            "general: {\n"
            '    json = "compact"\n'
            "    ws = true\n"
            f"    ws_port = {int(config.ws_port)}\n"
            f"    ws_ip = {_quote(config.ws_ip)}\n"
            "    wss = false\n"
            "}\n"
            "admin: { admin_ws = false }\n"
        ),
        # rtp_forward also needs the admin key, so nobody else can siphon audio off.
        "janus.plugin.audiobridge.jcfg": plugin.replace("{extra}", "    lock_rtp_forward = true\n"),
        "janus.plugin.streaming.jcfg": plugin.replace("{extra}", ""),
        "janus.plugin.videoroom.jcfg": plugin.replace("{extra}", "    lock_rtp_forward = true\n"),
    }


def write(config: JanusConfig, folder: Path) -> Path:
    """Write the configuration folder (readable by this user only) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    for name, text in render(config, folder).items():
        path = folder / name
        path.write_text(text)
        path.chmod(0o600)
    return folder
