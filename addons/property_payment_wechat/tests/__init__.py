from . import test_wechatpay
