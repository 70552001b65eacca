from . import payment_acquirer
from . import payment_transaction
