import pytest

from plenary.accounts.models import User
from plenary.proposals.demo import load_demo
from plenary.proposals.models import Conference
from plenary.proposals.tests.factories import drafter_of, secretariat


@pytest.fixture
def conference(db: None) -> Conference:
    return load_demo()


@pytest.fixture
def drafter(db: None) -> User:
    return drafter_of("F")


@pytest.fixture
def other_drafter(db: None) -> User:
    return drafter_of("D")


@pytest.fixture
def staff(db: None) -> User:
    return secretariat()
