import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RouteClassOf } from '../limits/route-policy';
import { StreamTickets, type IssuedTicket } from './stream-tickets';

class IssuedTicketDoc implements IssuedTicket {
  @ApiProperty({ description: 'Opaque; pass as ?ticket= to one stream route of this service' })
  ticket!: string;

  @ApiProperty({ description: 'When it can no longer be redeemed', format: 'date-time' })
  expiresAt!: string;
}

@ApiTags('streams')
@ApiBearerAuth()
@Controller('stream-tickets')
export class StreamTicketsController {
  constructor(private readonly tickets: StreamTickets) {}

  @Post()
  @HttpCode(201)
  // Its own budget: a portal gets one per stream it opens, which is no change to anything.
  @RouteClassOf('stream-ticket')
  @ApiOperation({
    summary:
      "A single-use ticket, valid 60 s, that opens one of this service's streams as `?ticket=` (for EventSource, which cannot send the Authorization header)",
  })
  @ApiCreatedResponse({ type: IssuedTicketDoc })
  issue(@CurrentPrincipal() principal: Principal): Promise<IssuedTicket> {
    return this.tickets.issue(principal);
  }
}
