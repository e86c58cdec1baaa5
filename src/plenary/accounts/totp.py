"""What a person needs to add a TOTP device to their authenticator app."""

from __future__ import annotations

from base64 import b32encode

import qrcode
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage


def qr_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` URI as an inline SVG QR code (made locally)."""
    image = qrcode.make(device.config_url, image_factory=SvgPathImage, border=2)
    svg: str = image.to_string(encoding="unicode")
    return svg


def manual_secret(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing it into the app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
