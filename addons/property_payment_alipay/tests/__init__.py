from . import test_alipay
from . import test_alipay_browser
