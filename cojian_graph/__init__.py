"""cojian-graph: party-building co-construction (党建共建) ledgers as networks.

Layers, each depending only on those before it: ``model`` / ``schema`` → ``io`` and ``validate`` →
``graph`` → ``analysis`` → ``render`` / ``export`` → ``cli`` and the Streamlit app.
"""

from .errors import CojianError, LedgerError, Problem
from .ledger import Ledger
from .model import CIRCLES, KINDS, LINKS, ROLES, SECTORS

__version__ = "0.1.0"

__all__ = ["CIRCLES", "KINDS", "LINKS", "ROLES", "SECTORS", "CojianError", "Ledger", "LedgerError", "Problem"]
