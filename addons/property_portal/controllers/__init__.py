from . import mail
from . import portal
from . import bills
from . import complaints
from . import payment
from . import fee_notices
from . import dunning
from . import invoices
