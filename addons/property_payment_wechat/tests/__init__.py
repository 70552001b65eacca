from . import test_wechatpay
from . import test_wechat_browser
