from plugins.common import helper
