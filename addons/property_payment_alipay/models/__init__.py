from . import payment_acquirer
