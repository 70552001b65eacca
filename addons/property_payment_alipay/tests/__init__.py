from . import test_alipay
