"""One ``APIRouter`` per resource; ``suretychain.api.server`` includes them all."""
