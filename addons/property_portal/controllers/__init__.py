from . import mail
from . import portal
from . import bills
from . import complaints
from . import payment
