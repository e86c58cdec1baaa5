import pytest

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.media.signalling import MAX_SDP_BYTES, consume_nonce, issue_nonce, validate_sdp
from plenary.media.turn import turn_credentials

SDP = (
    "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
    "a=fingerprint:sha-256 AB:CD\r\na=rtpmap:111 opus/48000/2\r\n"
)


def test_a_nonce_is_accepted_once() -> None:
    nonce = issue_nonce(7, 1, "socket-a")
    consume_nonce(nonce, 7, 1, "socket-a")
    with pytest.raises(PermissionRefusal) as refused:
        consume_nonce(nonce, 7, 1, "socket-a")
    assert refused.value.code == "stale_nonce"


@pytest.mark.parametrize(
    ("user", "session", "socket"), [(8, 1, "socket-a"), (7, 2, "socket-a"), (7, 1, "socket-b")]
)
def test_a_nonce_is_refused_from_another_user_session_or_socket(
    user: int, session: int, socket: str
) -> None:
    nonce = issue_nonce(7, 1, "socket-a")
    with pytest.raises(PermissionRefusal) as refused:
        consume_nonce(nonce, user, session, socket)
    assert refused.value.code == "forged_nonce"


def test_an_invented_nonce_is_refused() -> None:
    with pytest.raises(PermissionRefusal):
        consume_nonce("made-up", 7, 1, "socket-a")


def test_a_plausible_audio_offer_is_accepted() -> None:
    assert validate_sdp(SDP) == SDP


@pytest.mark.parametrize(
    "sdp",
    [
        "",
        "hello",
        SDP.replace("m=audio", "m=video"),
        SDP.replace("a=fingerprint", "a=nofingerprint"),
        SDP + "a=x\x00y\r\n",
        SDP + "<script>\r\n",
    ],
)
def test_garbage_sdp_is_refused(sdp: str) -> None:
    with pytest.raises(Refusal) as refused:
        validate_sdp(sdp)
    assert refused.value.code == "invalid_sdp"


def test_huge_sdp_is_refused() -> None:
    with pytest.raises(Refusal) as refused:
        validate_sdp(SDP + "a=x:" + "y" * MAX_SDP_BYTES + "\r\n")
    assert refused.value.code == "sdp_too_large"


def test_turn_credentials_follow_the_turn_rest_convention(settings: object) -> None:
    import base64
    import hashlib
    import hmac

    settings.TURN_SECRET = "shared"  # type: ignore[attr-defined]
    settings.TURN_TTL_SECONDS = 600  # type: ignore[attr-defined]
    username, password = turn_credentials("42", now=1000.0)
    assert username == "1600:42"
    expected = hmac.new(b"shared", b"1600:42", hashlib.sha1).digest()
    assert base64.b64decode(password) == expected
