import plugins.mail.send
from plugins.sms import send as sms_send
