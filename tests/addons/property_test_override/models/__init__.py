from . import account_move
from . import account_invoice_line
