from procurement.cli import console

console()
