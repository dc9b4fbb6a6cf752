class InvoiceHelper:
    pass
