"""Employment records (就业记录): the records of laborers at employers, their services, reads, pages and API."""
