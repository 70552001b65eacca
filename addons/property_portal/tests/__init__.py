from . import test_portal_access
from . import test_portal_chatter_post
from . import test_portal_former_owner
from . import test_portal_mail
from . import test_portal_units
from . import test_rpc_surface
